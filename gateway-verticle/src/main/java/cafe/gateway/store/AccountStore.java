package cafe.gateway.store;

import cafe.gateway.domain.Account;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Accounts in the gateway's own PostgreSQL database. */
public final class AccountStore {
  public static final List<String> MIGRATIONS = List.of("db/gateway/V1__accounts.sql");

  private static final String FIND = "SELECT id, username, password_hash, roles FROM accounts WHERE username = $1";
  private static final String EXISTS = "SELECT 1 FROM accounts WHERE username = $1";
  // A name taken between the check and the insert loses here, on the unique index, not twice.
  private static final String INSERT = "INSERT INTO accounts (id, username, password_hash, roles) VALUES ($1, $2, $3, $4)"
      + " ON CONFLICT (username) DO NOTHING RETURNING id";

  private final Pool pool;

  public AccountStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Account>> find(String username) {
    return pool.preparedQuery(FIND).execute(Tuple.of(username)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Account(row.getString("id"), row.getString("username"), row.getString("password_hash"),
          Arrays.asList(row.getArrayOfStrings("roles"))));
    });
  }

  public Future<Boolean> exists(String username) {
    return pool.preparedQuery(EXISTS).execute(Tuple.of(username)).map(rows -> rows.size() > 0);
  }

  /** True when the account was stored, false when its user name is already taken. */
  public Future<Boolean> create(Account account) {
    return pool.preparedQuery(INSERT)
        .execute(Tuple.of(account.id(), account.username(), account.passwordHash(),
            account.roles().toArray(new String[0])))
        .map(RowSet::size)
        .map(inserted -> inserted > 0);
  }
}
