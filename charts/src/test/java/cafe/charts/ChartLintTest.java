package cafe.charts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

class ChartLintTest {

  @Test
  void lintsCleanInStrictModeWithAnOperatorsChoices(@TempDir Path copy) throws IOException {
    assertClean(Chart.lintStrict(copyWith(copy, Chart.OPERATOR_CHOICES)));
  }

  /** As the pipeline lints before it deploys: helm lint --strict -f values-eks.yaml. */
  @Test
  void lintsCleanInStrictModeWithTheEksValues(@TempDir Path copy) throws IOException {
    assertClean(Chart.lintStrict(copyWith(copy, Chart.EKS_VALUES)));
  }

  /**
   * helm-java's lint reads only the chart's own values.yaml, so lint a copy whose values.yaml has {@code extra}
   * merged in.
   */
  private static Path copyWith(Path copy, Path extra) throws IOException {
    try (Stream<Path> files = Files.walk(Chart.DIR)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = copy.resolve(Chart.DIR.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    Yaml yaml = new Yaml(dumperOptions());
    Map<String, Object> values = read(yaml, Chart.DIR.resolve("values.yaml"));
    merge(values, read(yaml, extra));
    // values-eks.yaml's examples are taken as an operator's own here; the chart refuses them as they ship.
    values.put("samplePlaceholders", false);
    Files.writeString(copy.resolve("values.yaml"), yaml.dump(values));
    return copy;
  }

  private static void assertClean(LintResult lint) {
    assertFalse(lint.isFailed(), () -> "helm lint --strict failed: " + lint.getMessages());
    assertTrue(lint.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
        () -> "helm lint --strict reported: " + lint.getMessages());
  }

  private static Map<String, Object> read(Yaml yaml, Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      Map<String, Object> map = yaml.load(reader);
      return new LinkedHashMap<>(map);
    }
  }

  /** Helm's way: maps merge key by key, anything else is replaced. */
  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> into, Map<String, Object> over) {
    over.forEach((key, value) -> {
      Object existing = into.get(key);
      if (existing instanceof Map<?, ?> a && value instanceof Map<?, ?> b) {
        Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) a);
        merge(merged, (Map<String, Object>) b);
        into.put(key, merged);
      } else {
        into.put(key, value);
      }
    });
  }

  private static DumperOptions dumperOptions() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return options;
  }
}
