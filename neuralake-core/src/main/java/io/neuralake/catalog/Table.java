package io.neuralake.catalog;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public static method of a database class as a function table. The method returns a
 * {@link io.neuralake.frame.Frame}; it may take a {@link io.neuralake.table.ReadOptions} to
 * receive the caller's filters and columns, and a {@link Catalog} to receive the catalog it is in
 * (to read its sibling tables with that catalog's runtime and root, rather than build a new one).
 * The table is named after the method unless {@link #name()} says otherwise.
 *
 * <pre>{@code
 * @Table(description = "Supplier information.", dataInput = "Supplier master data from a dictionary.")
 * public static Frame supplier() { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Table {
  String name() default "";

  String description() default "";

  String dataInput() default "";

  String latencyInfo() default "";

  String exampleNotebook() default "";

  /** A deprecation message; non-empty marks the table deprecated. */
  String deprecated() default "";

  /** Example filters for the docs, each written as {@code "column op value"}, e.g. {@code "date = '2024-04-28'"}. */
  String[] docsFilters() default {};

  String[] docsColumns() default {};
}
