package cafe.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project folder and its {@code .cafe/} data folder. The root comes from the system property
 * {@code cafe.root} (the ./cafe script sets it), else the working directory.
 */
record CafeHome(Path root) {

  static final String ROOT_PROPERTY = "cafe.root";

  static CafeHome locate() {
    String property = System.getProperty(ROOT_PROPERTY);
    Path root = Path.of(property == null || property.isBlank() ? "" : property).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("launcher"))) {
      throw new LaunchException(root + " is not the cafe project folder; run ./cafe there or pass -D"
          + ROOT_PROPERTY + "=<project folder>");
    }
    return new CafeHome(root);
  }

  Path dataDir() {
    return root.resolve(".cafe");
  }

  Path logDir() {
    return dataDir().resolve("logs");
  }

  Path keyDir() {
    return dataDir().resolve("keys");
  }

  /** Working folders of the services and the record of their pids. */
  Path runDir() {
    return dataDir().resolve("run");
  }

  Path jar(Service service) {
    return root.resolve(service.module()).resolve("target").resolve(service.module() + ".jar");
  }

  /** For messages: paths inside the project are shown relative to it. */
  String show(Path path) {
    return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
  }
}
