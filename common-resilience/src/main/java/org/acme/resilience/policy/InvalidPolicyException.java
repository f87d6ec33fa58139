package org.acme.resilience.policy;

import java.util.List;

/** A resilience setting out of range; the message names every offending configuration key. */
public class InvalidPolicyException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidPolicyException(List<String> problems) {
        super("Invalid resilience configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
