package cafe.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cafe chart, rendered in this JVM by Helm's own library (no helm binary, no cluster, no
 * download), the way {@code helm template cafe charts/cafe -n shop -f ... --set ...} renders it.
 */
final class Chart {
  static final String RELEASE = "cafe";
  static final String NAMESPACE = "shop";
  static final List<String> SERVICES = List.of("gateway", "order", "payment", "barista", "delivery", "mypage");
  /** The services clients reach over HTTP through the gateway, which the chart autoscales by default. */
  static final List<String> HTTP_FACING = List.of("gateway", "order", "payment", "mypage");
  static final Path DIR = Path.of(System.getProperty("cafe.chart", "cafe")).toAbsolutePath();
  static final Path EKS_VALUES = DIR.resolve("values-eks.yaml");
  /** The token keys and the ALB's scheme, without which the chart refuses to render (operator-choices.yaml). */
  static final Path OPERATOR_CHOICES = operatorChoices();

  private static Rendered defaults;
  private static Rendered eks;

  private final Map<String, Object> sets = new LinkedHashMap<>();
  private final Map<String, Path> files = new LinkedHashMap<>();
  private final List<Path> valuesFiles = new java.util.ArrayList<>();

  private Chart() {
    if (!Files.isRegularFile(DIR.resolve("Chart.yaml"))) {
      throw new IllegalStateException("no chart at " + DIR + " (system property cafe.chart)");
    }
  }

  /** The chart with values.yaml and the operator's choices (keys, ALB scheme); add values and --set to it. */
  static Chart with() {
    return new Chart().values(OPERATOR_CHOICES);
  }

  /** The chart with its own values.yaml only, as a first install that chose nothing would render it. */
  static Chart bare() {
    return new Chart();
  }

  private static Path operatorChoices() {
    try {
      return Path.of(Chart.class.getResource("/operator-choices.yaml").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The chart with values.yaml and the operator's choices only. */
  static synchronized Rendered defaults() {
    if (defaults == null) {
      defaults = with().render();
    }
    return defaults;
  }

  /**
   * The chart with values-eks.yaml over values.yaml, its examples taken as an operator's own (which the chart
   * otherwise refuses: see {@link #eksAsShipped()}).
   */
  static synchronized Rendered eks() {
    if (eks == null) {
      eks = with().values(EKS_VALUES).set("samplePlaceholders", false).render();
    }
    return eks;
  }

  /** values-eks.yaml exactly as it ships, placeholders and all. */
  static Chart eksAsShipped() {
    return with().values(EKS_VALUES);
  }

  static LintResult lintStrict(Path chart) {
    return new Helm(chart).lint().strict().call();
  }

  /** Like --set key=value (Helm parses the value: 3 is a number, true a boolean). */
  Chart set(String key, Object value) {
    sets.put(key, value);
    return this;
  }

  /** Like --set-file key=path: the file's text, as it is. */
  Chart setFile(String key, Path file) {
    files.put(key, file);
    return this;
  }

  /** Like -f values.yaml; later files win. */
  Chart values(Path file) {
    valuesFiles.add(file);
    return this;
  }

  Rendered render() {
    return new Rendered(template().call());
  }

  /** The message Helm refuses the values with; fails the test when they are accepted. */
  String refusal() {
    try {
      template().call();
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
    throw new AssertionError("the chart accepted " + sets + " " + files + " " + valuesFiles);
  }

  private TemplateCommand template() {
    TemplateCommand command = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
    valuesFiles.forEach(command::withValuesFile);
    sets.forEach(command::set);
    files.forEach(command::setFile);
    return command;
  }
}
