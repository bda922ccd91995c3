package cafe.system.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from the system's packages, driven by its own chromedriver: explicit paths,
 * so nothing is looked up or downloaded. Screenshots go to target/screenshots.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of(System.getProperty("cafe.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("cafe.chromedriver", "/usr/bin/chromedriver"));
  static final Dimension PHONE = new Dimension(412, 915);
  static final Dimension DESKTOP = new Dimension(1280, 900);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  static Browser open(Dimension size) throws IOException {
    installChromiumIfMissing();
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
    Path profile = Files.createTempDirectory("cafe-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--hide-scrollbars", "--user-data-dir=" + profile,
        "--window-size=" + size.getWidth() + "," + size.getHeight());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  /**
   * A fresh Debian machine has no browser: install the distribution's own packages (never a
   * downloaded browser build) when we may, once per test JVM.
   */
  private static synchronized void installChromiumIfMissing() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    if (!Files.isExecutable(Path.of("/usr/bin/apt-get")) || !"root".equals(System.getProperty("user.name"))) {
      return;
    }
    try {
      Path log = Files.createDirectories(Path.of("target")).resolve("apt-chromium.log");
      Process apt = new ProcessBuilder("sh", "-c",
          "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver")
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      apt.waitFor(10, java.util.concurrent.TimeUnit.MINUTES);
    } catch (IOException e) {
      // the assertion below says what is missing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  void go(String url) {
    driver.get(url);
  }

  WebElement byId(String id) {
    return driver.findElement(By.id(id));
  }

  WebElement byTestId(String testId) {
    return driver.findElement(By.cssSelector("[data-testid='" + testId + "']"));
  }

  /** Waits for the condition; when it never comes, keeps a screenshot and the page's text to show why. */
  <T> T waitFor(Duration timeout, ExpectedCondition<T> condition) {
    try {
      // The pages redraw lists as they change, so an element found a moment ago may be gone: look again.
      return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      try {
        Path shot = screenshot("failed-" + System.currentTimeMillis());
        Object text = driver.executeScript("return document.body.innerText");
        throw new AssertionError(e.getMessage().lines().findFirst().orElse("") + "\nscreenshot: " + shot
            + "\npage text:\n" + text, e);
      } catch (IOException | RuntimeException ignored) {
        throw e;
      }
    }
  }

  /**
   * Clicks the element with this data-testid. Boards redraw their lists as pushes arrive, so the
   * element is looked up afresh until a click lands on one that is still on the page.
   */
  void click(String testId) {
    By target = By.cssSelector("[data-testid='" + testId + "']");
    waitFor(Duration.ofSeconds(10), d -> {
      d.findElement(target).click();
      return true;
    });
  }

  void type(String id, String text) {
    WebElement field = byId(id);
    field.clear();
    field.sendKeys(text);
  }

  /** A PNG of the page as it looks now, kept for people to look at. */
  Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Path target = SCREENSHOTS.resolve(name + ".png");
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  /** Makes the window as tall as the page, so a screenshot shows all of it. */
  void fitHeight() {
    Object height = driver.executeScript("return document.documentElement.scrollHeight");
    Dimension now = driver.manage().window().getSize();
    int wanted = Math.min(4000, ((Number) height).intValue() + 140);
    driver.manage().window().setSize(new Dimension(now.getWidth(), Math.max(now.getHeight(), wanted)));
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
