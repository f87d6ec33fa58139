package org.acme.resilience.validation;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * A number is read as it was written: {@code "quantity": 1.5} into an integer field is a 400 naming the field, not a
 * silent 1 (Jackson truncates by default). Applies to every JSON body a service reads, requests and answers alike.
 */
@Singleton
public class StrictNumbers implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }
}
