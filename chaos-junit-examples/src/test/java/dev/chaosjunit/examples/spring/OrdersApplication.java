package dev.chaosjunit.examples.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A tiny Spring Boot application: a datasource (HikariCP, configured by Boot) and a repository. */
@SpringBootApplication
public class OrdersApplication {
}
