package io.e2d.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.db.InvalidModelException;
import io.e2d.db.annotation.Encrypted;
import io.e2d.db.annotation.Id;
import io.e2d.db.annotation.Index;
import io.e2d.db.annotation.Required;
import io.e2d.db.annotation.Table;
import io.e2d.db.annotation.Unique;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ModelsTest {
    record Role(
            @Id(autoIncrement = true) long id,
            @Unique String name,
            @Index @Required String description,
            boolean superAdminOnly,
            String notIndexed) {}

    @Table("certs")
    static class Cert {
        @Id
        String path;

        @Index
        String description;

        @Encrypted
        byte[] data;

        transient int ignored;
        static int alsoIgnored;

        private Cert() {}
    }

    static class Base {
        @Id
        String id;
    }

    static class Derived extends Base {
        String extra;
    }

    record NoId(String name) {}

    record TwoIds(@Id long a, @Id long b) {}

    record IndexedEncrypted(@Id long id, @Index @Encrypted String secret) {}

    record AutoString(@Id(autoIncrement = true) String id) {}

    record ListIndex(@Id long id, @Index List<String> tags) {}

    static class NoConstructor {
        @Id
        String id;

        NoConstructor(String id) {
            this.id = id;
        }
    }

    @Table("bad/name")
    record BadName(@Id long id) {}

    @Test
    void parsesARecord() {
        Model<Role> m = Models.of(Role.class);
        assertThat(m.table()).isEqualTo("Role");
        assertThat(m.fields())
                .extracting(FieldModel::name)
                .containsExactly("id", "name", "description", "superAdminOnly", "notIndexed");
        assertThat(m.id().isAutoIncrement()).isTrue();
        assertThat(m.uniques()).extracting(FieldModel::name).containsExactly("name");
        assertThat(m.indexes()).extracting(FieldModel::name).containsExactly("description");
        assertThat(m.field("description").orElseThrow().isRequired()).isTrue();
        Role r = m.instantiate(new Object[] {null, "a", "b", null, null});
        assertThat(r).isEqualTo(new Role(0, "a", "b", false, null));
        assertThat(m.withId(r, 7L)).isEqualTo(new Role(7, "a", "b", false, null));
    }

    @Test
    void parsesAClassWithItsSuperclassFields() {
        Model<Cert> cert = Models.of(Cert.class);
        assertThat(cert.table()).isEqualTo("certs");
        assertThat(cert.fields()).extracting(FieldModel::name).containsExactly("path", "description", "data");
        assertThat(cert.needsKey()).isTrue();
        Model<Derived> derived = Models.of(Derived.class);
        assertThat(derived.fields()).extracting(FieldModel::name).containsExactly("id", "extra");
        Derived d = derived.instantiate(new Object[] {"x", "y"});
        assertThat(d.id).isEqualTo("x");
        assertThat(d.extra).isEqualTo("y");
    }

    @Test
    void cachesTheModel() {
        assertThat(Models.of(Role.class)).isSameAs(Models.of(Role.class));
    }

    @Test
    void rejectsInvalidModelsNamingClassFieldAndFix() {
        assertThatThrownBy(() -> Models.of(NoId.class))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(NoId.class.getName())
                .hasMessageContaining("annotate one field with @Id");
        assertThatThrownBy(() -> Models.of(TwoIds.class))
                .hasMessageContaining("field 'b'")
                .hasMessageContaining("only one");
        assertThatThrownBy(() -> Models.of(IndexedEncrypted.class))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("field 'secret'")
                .hasMessageContaining("remove @Encrypted or the index");
        assertThatThrownBy(() -> Models.of(AutoString.class)).hasMessageContaining("needs an integral type");
        assertThatThrownBy(() -> Models.of(ListIndex.class))
                .hasMessageContaining("field 'tags'")
                .hasMessageContaining("cannot be index keys");
        assertThatThrownBy(() -> Models.of(NoConstructor.class)).hasMessageContaining("no-argument constructor");
        assertThatThrownBy(() -> Models.of(BadName.class)).hasMessageContaining("table name 'bad/name'");
        assertThatThrownBy(() -> Models.of(Runnable.class)).hasMessageContaining("record or a concrete class");
        InvalidModelException e = (InvalidModelException)
                org.assertj.core.api.Assertions.catchThrowable(() -> Models.of(IndexedEncrypted.class));
        assertThat(e.field()).contains("secret");
        assertThat(e.modelClass()).isEqualTo(IndexedEncrypted.class.getName());
    }
}
