package org.acme.resilience.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.acme.resilience.problem.ProblemException;
import org.junit.jupiter.api.Test;

class ServiceTokenTest {

    @Test
    void withoutAConfiguredTokenTheApiDoesNotExistAndCallsCarryNoHeader() {
        for (Optional<String> none : java.util.List.of(Optional.<String> empty(), Optional.of(" "))) {
            ServiceToken token = new ServiceToken(none);
            assertThat(token.authorization()).isNull();
            assertThat(token.accepts("Bearer ")).isFalse();
            assertThatThrownBy(() -> token.check("Bearer anything")).isInstanceOfSatisfying(ProblemException.class,
                    e -> assertThat(e.problem().status()).isEqualTo(404));
        }
    }

    @Test
    void withATokenOnlyThatBearerTokenIsLetThrough() {
        ServiceToken token = new ServiceToken(Optional.of("s3cret"));
        assertThat(token.authorization()).isEqualTo("Bearer s3cret");
        token.check("Bearer s3cret");
        token.check("bearer s3cret"); // the scheme is case-insensitive (RFC 9110)
        for (String wrong : new String[] { null, "", "s3cret", "Bearer", "Bearer s3cre", "Bearer s3cret2",
                "Basic s3cret" }) {
            assertThatThrownBy(() -> token.check(wrong)).as(String.valueOf(wrong))
                    .isInstanceOfSatisfying(ProblemException.class,
                            e -> assertThat(e.problem().status()).isEqualTo(401));
        }
    }
}
