package org.cyphon.coordinator;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The annotated test class runs once per {@link TestStore}: on H2 and on PostgreSQL. It takes the
 * store in its constructor ({@code LeaseTest(TestStore store)}) and starts its coordinators on it
 * ({@code TestCoordinator.start(store, dir)}), so a change that breaks either database fails the build.
 * The PostgreSQL run fails, never skips, when that database is not there ({@link PostgresForTests}).
 * Surefire's reports number the runs in {@link TestStore}'s order: {@code [1]} is H2, {@code [2]} PostgreSQL.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "on {0}")
@EnumSource(TestStore.class)
public @interface OnEveryStore {}
