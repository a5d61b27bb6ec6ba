package io.csvx.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/// Marks a test class that needs a PostgreSQL server; [PostgresCondition] skips it when none
/// answers (or fails it under `CSVX_TEST_REQUIRE_POSTGRES=1`, as `.ci/run` sets).
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresPostgres {
}
