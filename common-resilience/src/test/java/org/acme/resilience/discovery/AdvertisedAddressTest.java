package org.acme.resilience.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An address no other service can call fails startup, naming the setting, instead of being registered. */
class AdvertisedAddressTest {

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "0.0.0.0", "::", "no-such-host.invalid" })
    void unusableAddressesAreRefusedNamingTheSetting(String address) {
        assertThatThrownBy(() -> AdvertisedAddress.validated(address)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("discovery.consul.service-address (DISCOVERY_CONSUL_SERVICE_ADDRESS)");
    }

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1", "localhost", "10.1.2.3" })
    void reachableAddressesPass(String address) {
        assertThat(AdvertisedAddress.validated(address)).isEqualTo(address);
    }
}
