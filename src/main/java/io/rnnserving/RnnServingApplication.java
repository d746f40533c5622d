package io.rnnserving;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RnnServingApplication {
    public static void main(String[] args) {
        SpringApplication.run(RnnServingApplication.class, args);
    }
}
