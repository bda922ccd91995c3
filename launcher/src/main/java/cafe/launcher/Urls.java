package cafe.launcher;

/** Small URL edits for outside infrastructure given as base URLs. */
final class Urls {

  private Urls() {
  }

  /**
   * The base URL with its path replaced by {@code /<database>}, keeping user, hosts and query:
   * {@code postgresql://u:p@db:5432?sslmode=require} and "order" give {@code postgresql://u:p@db:5432/order?sslmode=require}.
   * Works for host lists such as {@code mongodb://a:27017,b:27017}, which java.net.URI rejects.
   */
  static String withDatabase(String base, String database) {
    int scheme = base.indexOf("://");
    int authorityStart = scheme < 0 ? 0 : scheme + 3;
    int query = base.indexOf('?', authorityStart);
    String beforeQuery = query < 0 ? base : base.substring(0, query);
    String queryPart = query < 0 ? "" : base.substring(query);
    int path = beforeQuery.indexOf('/', authorityStart);
    String authority = path < 0 ? beforeQuery : beforeQuery.substring(0, path);
    return authority + "/" + database + queryPart;
  }
}
