package io.neuralake.internal.engine;

import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The Arrow memory of frames (results kept in the JVM), one child allocator of the engine's per frame. A frame
 * the program does not close is freed by its cleaner when it is garbage collected; frames are values a program
 * may keep (a function table may hand out the same one to every query), so nothing else closes them.
 */
public final class FrameMemory {
  private static final String PREFIX = "frame-";

  private FrameMemory() {}

  /** A new frame's allocator under {@code engine}'s. */
  public static BufferAllocator newAllocator(BufferAllocator engine) {
    return engine.newChildAllocator(PREFIX + UUID.randomUUID(), 0, Long.MAX_VALUE);
  }

  /** Whether {@code allocator} is a frame's (rather than a running query's). */
  public static boolean isFrame(BufferAllocator allocator) {
    return allocator.getName().startsWith(PREFIX);
  }
}
