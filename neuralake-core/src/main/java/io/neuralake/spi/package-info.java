/**
 * What Neuralake's own modules share beyond the public API: the engine session writers stage data
 * in, SQL text for literals, filters, expressions and file scans, typed values, settings, atomic
 * file writes and the source compiler.
 *
 * <p><b>For Neuralake's modules only</b> (neuralake-delta, the CLI, the benchmark harness and the
 * server to come): these types may change in any release without notice. Applications use the
 * public API ({@code io.neuralake.catalog}, {@code io.neuralake.frame}, ...). The package is a thin
 * layer over the internals, so the internals can change without breaking the sibling modules, and
 * no signature here mentions an internal type (ArchitectureTest in neuralake-cli keeps it so).
 */
package io.neuralake.spi;
