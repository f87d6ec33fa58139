import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * Prints every event on the domain_events exchange, one line each, through a temporary queue bound to a pattern
 * ("#" = everything). Run it with scripts/watch-events.sh [pattern].
 */
public class WatchEvents {

    private static final Pattern FIELD = Pattern.compile("\"(subject|source)\"\\s*:\\s*\"([^\"]*)\"");

    public static void main(String[] args) throws Exception {
        String pattern = args.length > 0 ? args[0] : "#";
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(env("RABBITMQ_HOST", "localhost"));
        factory.setPort(Integer.parseInt(env("RABBITMQ_PORT", "5672")));
        factory.setUsername(env("RABBITMQ_USER", "guest"));
        factory.setPassword(env("RABBITMQ_PASSWORD", "guest"));
        Connection connection = factory.newConnection("watch-events");
        Channel channel = connection.createChannel();
        // A watcher does not own the exchange: the services declare it from the shared topology (with its alternate
        // exchange, which a declaration from here would have to repeat exactly). It only checks that it exists.
        try {
            channel.exchangeDeclarePassive("domain_events");
        } catch (java.io.IOException e) {
            System.err.println("No exchange domain_events on this broker yet: start a service first.");
            System.exit(1);
        }
        String queue = channel.queueDeclare().getQueue(); // exclusive, auto-delete: gone when we stop
        channel.queueBind(queue, "domain_events", pattern);
        System.out.println("Watching domain_events for '" + pattern + "' (Ctrl-C to stop); events no queue is bound for also"
                + " wait in the queue domain_events.unrouted");
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
        channel.basicConsume(queue, true, (tag, delivery) -> {
            String body = new String(delivery.getBody(), StandardCharsets.UTF_8);
            String subject = "?";
            String source = "?";
            Matcher m = FIELD.matcher(body);
            while (m.find()) {
                if (m.group(1).equals("subject")) {
                    subject = m.group(2);
                } else {
                    source = m.group(2);
                }
            }
            System.out.printf("%s  %-28s %-16s %s%n", LocalTime.now().format(time),
                    delivery.getEnvelope().getRoutingKey(), source, subject);
            if (System.getenv("VERBOSE") != null) {
                System.out.println("    " + body);
            }
        }, tag -> {
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                connection.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }));
        Thread.currentThread().join();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
