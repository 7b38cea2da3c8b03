package io.neuralake.storage;

import java.util.List;

/** One level of a folder: the objects directly in it and its sub-folders (ending in a slash). */
public record Listing(List<ObjectInfo> objects, List<Location> folders) {
  public Listing {
    objects = List.copyOf(objects);
    folders = List.copyOf(folders);
  }
}
