package dev.haps.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the server refuses, as an OpenAI-shaped error: {@code {"error": {"message", "type",
 * "param", "code"}}} with its HTTP status (and, for 429, the seconds to wait).
 */
final class ApiError extends RuntimeException {

  final int status;
  final String type;
  final String code;
  final String param;
  final long retryAfterSeconds;

  ApiError(int status, String type, String code, String param, String message) {
    this(status, type, code, param, message, 0);
  }

  ApiError(int status, String type, String code, String param, String message,
      long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static ApiError invalid(String param, String message) {
    return new ApiError(400, "invalid_request_error", null, param, message);
  }

  static ApiError invalid(String param, String code, String message) {
    return new ApiError(400, "invalid_request_error", code, param, message);
  }

  ObjectNode body() {
    return body(status, type, code, param, getMessage());
  }

  static ObjectNode body(int status, String type, String code, String param, String message) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", message);
    e.put("type", type);
    if (param == null) {
      e.putNull("param");
    } else {
      e.put("param", param);
    }
    if (code == null) {
      e.putNull("code");
    } else {
      e.put("code", code);
    }
    return root;
  }

  /** The OpenAI error type for a status the server or Jetty produced itself. */
  static String typeOf(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 408 -> "timeout_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503 -> "service_unavailable";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }
}
