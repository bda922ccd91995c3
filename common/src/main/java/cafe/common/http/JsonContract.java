package cafe.common.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's OpenAPI document, used as the one contract requests are checked against: each
 * request body is validated (JSON Schema 2020-12, vertx-json-schema) with the schema the document
 * declares for it, and what fails becomes a 400 problem whose detail names each field and what it
 * must be.
 */
public final class JsonContract {
  private static final String BASE = "app:///";
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

  private final String name;
  private final JsonObject document;
  private final SchemaRepository repository;
  private final JsonSchemaOptions options;
  private final Map<String, Validator> validators = new ConcurrentHashMap<>();

  private JsonContract(String name, JsonObject document) {
    this.name = name;
    this.document = document;
    this.options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE)
        .setOutputFormat(OutputFormat.Basic);
    this.repository = SchemaRepository.create(options);
    repository.dereference(name, JsonSchema.of(document));
  }

  /** Reads the document from the classpath (blocking: call it once, at start, off the event loop). */
  public static JsonContract load(String resource) {
    try (InputStream in = JsonContract.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      return new JsonContract(resource, new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonObject document() {
    return document;
  }

  /** Fails with a 400 {@link InvalidRequestException} unless {@code value} matches {@code components/schemas/<schema>}. */
  public void check(String schema, Object value) {
    OutputUnit result = validators.computeIfAbsent(schema, this::validator).validate(value);
    if (Boolean.TRUE.equals(result.getValid())) {
      return;
    }
    JsonArray errors = new JsonArray();
    List<String> details = new ArrayList<>();
    List<OutputUnit> all = result.getErrors() == null ? List.of() : result.getErrors();
    for (OutputUnit error : all) {
      if (isLeaf(error, all)) {
        String detail = describe(error);
        if (!details.contains(detail)) {
          details.add(detail);
          errors.add(new JsonObject().put("pointer", pointer(error)).put("detail", detail));
        }
      }
    }
    if (details.isEmpty()) {
      details.add("the body does not match " + schema);
    }
    throw new InvalidRequestException(String.join("; ", details), errors);
  }

  private Validator validator(String schema) {
    if (!document.getJsonObject("components").getJsonObject("schemas").containsKey(schema)) {
      throw new IllegalArgumentException(name + " declares no schema " + schema);
    }
    return repository.validator(JsonSchema.of(new JsonObject()
        .put("$ref", BASE + name + "#/components/schemas/" + schema)), options);
  }

  /** Wrapper errors ("a subschema had errors") are left out when a more precise one explains them. */
  private static boolean isLeaf(OutputUnit error, List<OutputUnit> all) {
    String keyword = error.getKeywordLocation() == null ? "" : error.getKeywordLocation();
    String instance = error.getInstanceLocation() == null ? "#" : error.getInstanceLocation();
    for (OutputUnit other : all) {
      String otherKeyword = other.getKeywordLocation() == null ? "" : other.getKeywordLocation();
      String otherInstance = other.getInstanceLocation() == null ? "#" : other.getInstanceLocation();
      if (other != error && otherKeyword.startsWith(keyword + "/")
          && (otherInstance.equals(instance) || otherInstance.startsWith(instance + "/"))) {
        return false;
      }
    }
    return true;
  }

  private String describe(OutputUnit error) {
    String keywordLocation = error.getKeywordLocation() == null ? "" : error.getKeywordLocation();
    String keyword = keywordLocation.substring(keywordLocation.lastIndexOf('/') + 1);
    String field = field(error.getInstanceLocation());
    JsonObject parent = parentSchema(error.getAbsoluteKeywordLocation());
    String message = error.getError() == null ? "is not valid" : error.getError();
    switch (keyword) {
      case "required": {
        Matcher m = QUOTED.matcher(message);
        String missing = m.find() ? m.group(1) : "a field";
        return (field.equals("the body") ? "" : field + ".") + missing + " is required";
      }
      case "properties":
        return field + " is set by the cafe and may not be sent";
      case "additionalProperties":
        return field + " is not a known field";
      case "type":
        return field + " must be " + article(parent == null ? null : String.valueOf(parent.getValue("type")));
      case "minimum":
      case "maximum":
      case "exclusiveMinimum":
      case "exclusiveMaximum":
        return field + " must be " + range(parent, "minimum", "maximum", "");
      case "minItems":
      case "maxItems":
        return field + " must have " + range(parent, "minItems", "maxItems", " item(s)");
      case "minLength":
      case "maxLength":
        return field + " must be " + range(parent, "minLength", "maxLength", " character(s)");
      case "pattern":
      case "format":
        return field + (parent != null && parent.getString("description") != null
            ? " must be " + parent.getString("description") : " is not in the expected format");
      case "enum":
      case "const":
        return field + " must be one of " + (parent == null ? "the allowed values" : parent.getValue("enum"));
      default:
        return field + ": " + message;
    }
  }

  private JsonObject parentSchema(String absoluteKeywordLocation) {
    if (absoluteKeywordLocation == null || !absoluteKeywordLocation.contains("#")) {
      return null;
    }
    String fragment = absoluteKeywordLocation.substring(absoluteKeywordLocation.indexOf('#') + 1);
    int cut = fragment.lastIndexOf('/');
    if (cut < 0) {
      return null;
    }
    try {
      Object parent = JsonPointer.from(fragment.substring(0, cut)).queryJson(document);
      return parent instanceof JsonObject json ? json : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String range(JsonObject schema, String min, String max, String unit) {
    Object lo = schema == null ? null : schema.getValue(min);
    Object hi = schema == null ? null : schema.getValue(max);
    if (lo != null && hi != null) {
      return lo + ".." + hi + unit;
    }
    if (lo != null) {
      return "at least " + lo + unit;
    }
    return hi != null ? "at most " + hi + unit : "within range";
  }

  private static String article(String type) {
    if (type == null) {
      return "of another type";
    }
    return switch (type) {
      case "integer" -> "a whole number";
      case "object" -> "a JSON object";
      case "array" -> "a JSON array";
      case "string" -> "a string";
      case "number" -> "a number";
      case "boolean" -> "true or false";
      default -> type;
    };
  }

  private static String pointer(OutputUnit error) {
    String instance = error.getInstanceLocation();
    return instance == null || instance.equals("#") ? "" : instance.substring(1);
  }

  /** "#/items/0/qty" reads as "items[0].qty". */
  static String field(String instanceLocation) {
    if (instanceLocation == null || instanceLocation.equals("#") || instanceLocation.isEmpty()) {
      return "the body";
    }
    StringBuilder out = new StringBuilder();
    for (String part : instanceLocation.substring(instanceLocation.startsWith("#/") ? 2 : 1).split("/")) {
      String segment = part.replace("~1", "/").replace("~0", "~");
      if (segment.chars().allMatch(Character::isDigit) && !segment.isEmpty()) {
        out.append('[').append(segment).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(segment);
      }
    }
    return out.toString();
  }

  /** A request that breaks the contract: 400, with each broken rule in {@code errors}. */
  public static final class InvalidRequestException extends ProblemException {
    private final JsonArray errors;

    public InvalidRequestException(String detail, JsonArray errors) {
      super(400, "invalid-request", "Invalid request", detail);
      this.errors = errors;
    }

    public JsonArray errors() {
      return errors;
    }
  }
}
