package dev.chaosjunit.examples.spring;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The application's data access, on the {@link JdbcTemplate} Spring Boot configures. */
@Repository
public class OrderRepository {

    private final JdbcTemplate jdbc;

    public OrderRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public int count() {
        Integer count = jdbc.queryForObject("select count(*) from orders", Integer.class);
        return count == null ? 0 : count;
    }

    public String item(int id) {
        return jdbc.queryForObject("select item from orders where id = ?", String.class, id);
    }
}
