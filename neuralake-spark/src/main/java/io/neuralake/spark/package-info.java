/**
 * Neuralake's catalog in Apache Spark: {@link io.neuralake.spark.NeuralakeCatalog} is a Spark catalog
 * (DataSource V2) over a catalog declared in code. Everything else is in {@code internal}.
 */
package io.neuralake.spark;
