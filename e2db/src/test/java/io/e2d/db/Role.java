package io.e2d.db;

import io.e2d.db.annotation.Id;
import io.e2d.db.annotation.Index;
import io.e2d.db.annotation.Required;
import io.e2d.db.annotation.Unique;

/** The model of Go e2db's db_test.go, as a record. */
record Role(
        @Id(autoIncrement = true) long id,
        @Unique String name,
        @Index @Required String description,
        String resourceQuota,
        String limitRange,
        boolean superAdminOnly,
        String notIndexed) {

    static Role of(String name, String description) {
        return new Role(0, name, description, "", "", false, "");
    }

    Role withDescription(String d) {
        return new Role(id, name, d, resourceQuota, limitRange, superAdminOnly, notIndexed);
    }

    Role withName(String n) {
        return new Role(id, n, description, resourceQuota, limitRange, superAdminOnly, notIndexed);
    }
}
