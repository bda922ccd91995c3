package cafe.testkit;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads a service's PostgreSQL database directly (JDBC), to check what it stored. */
public final class Db {
  private final String jdbc;
  private final String user;

  /** {@code pgUrl} as the services take it: {@code postgresql://user@host:port/database}. */
  public Db(String pgUrl) {
    URI uri = URI.create(pgUrl);
    this.jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath();
    this.user = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":")[0];
  }

  /** The number a {@code SELECT count(*) ...} answers. */
  public long count(String sql, Object... params) {
    return ((Number) rows(sql, params).get(0).get(0)).longValue();
  }

  public List<List<Object>> rows(String sql, Object... params) {
    try (Connection c = DriverManager.getConnection(jdbc, user, "");
         PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        List<List<Object>> rows = new ArrayList<>();
        int columns = r.getMetaData().getColumnCount();
        while (r.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= columns; i++) {
            row.add(r.getObject(i));
          }
          rows.add(row);
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
