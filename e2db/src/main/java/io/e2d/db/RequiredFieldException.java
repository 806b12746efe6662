package io.e2d.db;

/** A {@code @Required} field is {@code null} or empty in a row being written. Nothing was written. */
public final class RequiredFieldException extends E2dbException {
    private static final long serialVersionUID = 1L;
    private final String table;
    private final String field;

    public RequiredFieldException(String table, String field) {
        super("table '" + table + "': field '" + field + "' is @Required but is null or empty; set a value");
        this.table = table;
        this.field = field;
    }

    public String table() {
        return table;
    }

    public String field() {
        return field;
    }
}
