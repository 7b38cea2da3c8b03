/**
 * The lake runtime: the one object that owns a process's (or a server's) engine, object stores,
 * file cache, thread pools and every cache of table state. See {@link io.neuralake.runtime.LakeRuntime}.
 */
package io.neuralake.runtime;
