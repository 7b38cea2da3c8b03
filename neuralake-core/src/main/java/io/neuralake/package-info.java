/** Neuralake: a code-first data lake for the JVM. */
package io.neuralake;
