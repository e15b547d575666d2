package org.cyphon.core.text;

/** A problem with one named field of some input; the API returns it as {"error", "field"}. */
public record FieldError(String field, String error) {
    @Override
    public String toString() {
        return field + ": " + error;
    }
}
