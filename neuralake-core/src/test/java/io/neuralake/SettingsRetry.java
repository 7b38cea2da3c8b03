package io.neuralake;

import io.neuralake.engine.Engine;
import io.neuralake.storage.Storage;
import java.util.function.Supplier;

/** A process that reads the shared cache and engine with a bad setting, then with a corrected one. */
public final class SettingsRetry {
  private SettingsRetry() {}

  public static void main(String[] args) {
    System.setProperty("neuralake.cache.dir", args[0]);
    System.setProperty("neuralake.cache.max.bytes", "lots");
    attempt(() -> Storage.defaults().cache().maxBytes());
    System.setProperty("neuralake.cache.max.bytes", "2MB");
    System.out.println("> cache max bytes " + attempt(() -> Storage.defaults().cache().maxBytes()));
    System.setProperty("neuralake.threads", "x");
    attempt(() -> Engine.shared().options().threads());
    System.setProperty("neuralake.threads", "2");
    System.out.println("> engine threads " + attempt(() -> Engine.shared().options().threads()));
  }

  private static Object attempt(Supplier<Object> s) {
    try {
      return s.get();
    } catch (RuntimeException | Error e) {
      System.out.println("> " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return null;
    }
  }
}
