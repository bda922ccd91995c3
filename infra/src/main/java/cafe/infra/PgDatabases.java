package cafe.infra;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Creates a PostgreSQL database named by a {@code postgresql://user[:password]@host:port/db} URL. Blocking. */
public final class PgDatabases {

  private static final String DUPLICATE_DATABASE = "42P04";
  private static final String UNIQUE_VIOLATION = "23505";

  private PgDatabases() {
  }

  /** Creates the URL's database unless it exists; connects to the server's {@code postgres} database for that. */
  public static synchronized void ensure(String url) {
    URI uri = URI.create(url);
    String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (database.isEmpty()) {
      throw new IllegalArgumentException("no database in " + url);
    }
    Properties credentials = new Properties();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      String[] parts = userInfo.split(":", 2);
      credentials.put("user", decode(parts[0]));
      if (parts.length > 1) {
        credentials.put("password", decode(parts[1]));
      }
    }
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort())
        + "/postgres" + query;
    try (Connection connection = DriverManager.getConnection(jdbc, credentials)) {
      if (!exists(connection, database)) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("CREATE DATABASE " + quote(database));
        }
      }
    } catch (SQLException e) {
      if (!DUPLICATE_DATABASE.equals(e.getSQLState()) && !UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new InfraException("PostgreSQL: could not create database " + database + " on " + uri.getHost() + ":"
            + uri.getPort() + ": " + e.getMessage(), e);
      }
    }
  }

  private static boolean exists(Connection connection, String database) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      query.setString(1, database);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static String decode(String part) {
    // URLDecoder is for forms: keep a literal '+' instead of turning it into a space.
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
