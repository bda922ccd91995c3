package cafe.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Marks .cafe/ as in use by one launcher. The operating system drops the lock when the process dies, so a
 * crashed launcher never blocks the next one; the pid file only makes the message helpful.
 */
final class RunLock implements AutoCloseable {

  private static final String LOCK_FILE = "cafe.lock";
  private static final String PID_FILE = "cafe.pid";

  private final Path dataDir;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path dataDir, FileChannel channel, FileLock lock) {
    this.dataDir = dataDir;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or fails naming the launcher that holds it. */
  static RunLock acquire(Path dataDir, String whatFor) {
    try {
      Files.createDirectories(dataDir);
      FileChannel channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new LaunchException("cafe is already up" + holder(dataDir) + "; stop it (Ctrl-C) before " + whatFor);
      }
      Files.writeString(dataDir.resolve(PID_FILE), Long.toString(ProcessHandle.current().pid()),
          StandardCharsets.US_ASCII);
      return new RunLock(dataDir, channel, lock);
    } catch (IOException e) {
      throw new LaunchException("could not lock " + dataDir.resolve(LOCK_FILE) + ": " + e.getMessage());
    }
  }

  static boolean isLockFile(Path file) {
    return file.getFileName().toString().equals(LOCK_FILE);
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(dataDir.resolve(PID_FILE));
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the lock goes away with the process anyway
    }
  }

  private static String holder(Path dataDir) {
    try {
      return " (pid " + Files.readString(dataDir.resolve(PID_FILE), StandardCharsets.US_ASCII).strip() + ")";
    } catch (IOException e) {
      return "";
    }
  }
}
