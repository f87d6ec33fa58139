package org.acme.resilience.events;

/** A message that can never be handled, however often it is delivered: it is rejected, never requeued. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }
}
