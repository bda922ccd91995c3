package cafe.charts;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds fields the Kubernetes models do not know. The models keep them aside as "additional
 * properties" instead of failing, and the API server would only warn and drop them, so a
 * misspelt field (readinesProbe, maxUnavailble) would otherwise pass unnoticed.
 */
final class UnknownFields {
  private UnknownFields() {
  }

  /** Paths such as {@code Deployment/cafe-order.spec.template.spec.containers[0].readinesProbe}. */
  static List<String> in(HasMetadata object) {
    List<String> found = new ArrayList<>();
    if (object instanceof GenericKubernetesResource) {
      return found;
    }
    walk(object, object.getKind() + "/" + object.getMetadata().getName(), found,
        java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    return found;
  }

  private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
    if (value == null || !seen.add(value)) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", found, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> entries) {
      entries.forEach((k, v) -> walk(v, path + "[" + k + "]", found, seen));
      return;
    }
    Class<?> type = value.getClass();
    if (!type.getName().startsWith("io.fabric8.kubernetes.api.model") || type.isEnum()) {
      return;
    }
    for (Method getter : type.getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(k -> found.add(path + "." + k));
        }
        continue;
      }
      walk(child, path + "." + field, found, seen);
    }
  }
}
