package dev.haps.provider.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * JSON helpers shared by the HTTP providers: one configured {@link ObjectMapper}, request-body
 * construction from {@link ParameterValues}, and lenient readers of optional response fields.
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /**
   * The shared mapper; do not reconfigure it.
   *
   * @return the mapper
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * A new, empty JSON object.
   *
   * @return the object
   */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Checks parameter values against a space and copies them, in canonical form (a whole number
   * given as {@code 5.0} for an int parameter is written as {@code 5}), into a request body under
   * their own names. Only the values given are written: nothing is defaulted here.
   *
   * @param body the request body
   * @param space the declared parameters
   * @param values the values to send
   * @throws dev.haps.api.error.InvalidParameterException for an undeclared name or a value out of
   *     range, before anything is sent
   */
  public static void putParameters(ObjectNode body, ParameterSpace space, ParameterValues values) {
    for (Map.Entry<String, Object> e : space.validate(values).asMap().entrySet()) {
      put(body, e.getKey(), e.getValue());
    }
  }

  /**
   * Writes one canonical parameter value (Double, Long or String).
   *
   * @param body the request body
   * @param name the field name
   * @param value the value
   * @throws IllegalArgumentException for a tensor or another type no JSON backend accepts
   */
  public static void put(ObjectNode body, String name, Object value) {
    if (value instanceof Long) {
      body.put(name, (Long) value);
    } else if (value instanceof Double) {
      body.put(name, (Double) value);
    } else if (value instanceof String) {
      body.put(name, (String) value);
    } else {
      throw new IllegalArgumentException("parameter '" + name + "' has a "
          + value.getClass().getSimpleName() + " value, which an HTTP backend cannot take");
    }
  }

  /**
   * Parses a JSON array of strings.
   *
   * @param text the JSON text
   * @param error the message when the text is not an array of strings
   * @return the strings
   * @throws ConfigurationException with the given message
   */
  static List<String> stringArray(String text, Supplier<String> error) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(error.get(), e);
    }
    if (node == null || !node.isArray()) {
      throw new ConfigurationException(error.get());
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : node) {
      if (!n.isTextual()) {
        throw new ConfigurationException(error.get());
      }
      out.add(n.asText());
    }
    return out;
  }

  /**
   * Parses a JSON array of strings given as a setting.
   *
   * @param providerId the provider, for the message
   * @param setting the setting name, for the message
   * @param text the JSON text
   * @return the strings
   * @throws ConfigurationException if the text is not an array of strings
   */
  public static List<String> stringArraySetting(String providerId, String setting, String text) {
    return stringArray(text, () -> "provider '" + providerId + "' setting '" + setting + "' = "
        + text + " is not a JSON array of strings; write [\"a\", \"b\"]");
  }

  /**
   * Parses a response body.
   *
   * @param bytes the body
   * @return the JSON tree
   * @throws IOException if the body is not JSON
   */
  static JsonNode parse(byte[] bytes) throws IOException {
    JsonNode n = MAPPER.readTree(bytes);
    if (n == null || n.isMissingNode()) {
      throw new IOException("empty body");
    }
    return n;
  }

  /**
   * Parses one server-sent event's data.
   *
   * @param data the event's data
   * @return the JSON tree
   * @throws IOException if the data is not JSON
   */
  static JsonNode parse(String data) throws IOException {
    JsonNode n = MAPPER.readTree(data);
    if (n == null || n.isMissingNode()) {
      throw new IOException("empty event data");
    }
    return n;
  }

  /**
   * A non-negative whole number at a path, or a fallback when absent or null.
   *
   * @param node the object
   * @param field the field name
   * @return the value, or 0 when absent
   */
  public static long count(JsonNode node, String field) {
    JsonNode n = node.path(field);
    return n.canConvertToLong() && n.asLong() >= 0 ? n.asLong() : 0L;
  }

  /**
   * A text field, or a fallback when absent or not text.
   *
   * @param node the object
   * @param field the field name
   * @param fallback used when absent
   * @return the text
   */
  public static String text(JsonNode node, String field, String fallback) {
    JsonNode n = node.path(field);
    return n.isTextual() ? n.asText() : fallback;
  }

  /**
   * Copies a text field into an attribute map, when it is text.
   *
   * @param attributes the map to add to
   * @param key the attribute name
   * @param value the JSON value
   */
  public static void putText(Map<String, String> attributes, String key, JsonNode value) {
    if (value.isTextual()) {
      attributes.put(key, value.asText());
    }
  }
}
