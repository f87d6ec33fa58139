package org.acme.order.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.acme.order.chaos.History.FaultWindow;
import org.acme.order.chaos.History.Kind;
import org.acme.order.chaos.History.Op;
import org.acme.order.chaos.History.Outcome;

/**
 * What a run leaves for people to look at: a Markdown table of the run and a timeline picture as Jepsen draws them
 * (every operation's latency over time, coloured by outcome, with the faults shaded).
 */
final class Report {

    private Report() {
    }

    static String markdown(String run, long seed, int clients, History history, List<Checker.Violation> violations,
            long healMillis, String picture) {
        List<Op> ops = history.ops();
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        Map<Kind, int[]> byKind = new EnumMap<>(Kind.class);
        for (Op op : ops) {
            outcomes.merge(op.outcome(), 1, Integer::sum);
            byKind.computeIfAbsent(op.kind(), k -> new int[3])[op.outcome().ordinal()]++;
        }
        long span = ops.stream().mapToLong(Op::completedMillis).max().orElse(0);
        StringBuilder md = new StringBuilder();
        md.append("### ").append(run).append("\n\n");
        md.append("| seed | clients | length | operations | ok | fail | info | faults | violations | time to heal |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| %d | %d | %d s | %d | %d | %d | %d | %d | %d | %s |%n%n", seed, clients,
                span / 1000, ops.size(), outcomes.getOrDefault(Outcome.OK, 0), outcomes.getOrDefault(Outcome.FAIL, 0),
                outcomes.getOrDefault(Outcome.INFO, 0), history.faults().size(), violations.size(),
                healMillis < 0 ? "never" : String.format(Locale.ROOT, "%.1f s", healMillis / 1000.0)));
        md.append("| operation | ok | fail | info |\n|---|---|---|---|\n");
        byKind.forEach((kind, counts) -> md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d |%n", kind,
                counts[0], counts[1], counts[2])));
        md.append("\n| fault | from | to |\n|---|---|---|\n");
        for (FaultWindow fault : history.faults().stream()
                .sorted((a, b) -> Long.compare(a.injectedMillis(), b.injectedMillis())).toList()) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f s | %s |%n", fault.fault(), fault.injectedMillis() / 1000.0,
                    fault.healedMillis() < 0 ? "not healed" : String.format(Locale.ROOT, "%.1f s",
                            fault.healedMillis() / 1000.0)));
        }
        md.append("\nInvariants checked: no order left PENDING; a confirmed order has exactly one COMPLETED payment of ")
                .append("its total and currency; no COMPLETED payment for a cancelled order; one order per operation ")
                .append("and per Idempotency-Key; no payment without its order; answers, reads and the databases agree; ")
                .append("refused and malformed requests create nothing; never a 500; the events on `domain_events` ")
                .append("tell the databases' story; every circuit transition announced, CLOSED only from HALF_OPEN, ")
                .append("OPEN within ").append(Checker.OPEN_WITHIN_MILLIS / 1000).append(" s of a blackhole of every ")
                .append("payment-service instance and never CLOSED during it; orders confirmed again after healing.\n\n");
        if (!violations.isEmpty()) {
            md.append("Violations:\n\n");
            violations.forEach(v -> md.append("- ").append(v).append('\n'));
            md.append('\n');
        }
        md.append("![timeline of ").append(run).append("](").append(picture).append(")\n");
        return md.toString();
    }

    /** Latency (log scale) of every operation over time; green ok, red fail, amber info; faults shaded. */
    static String timeline(History history) {
        List<Op> ops = history.ops();
        List<FaultWindow> faults = new ArrayList<>(history.faults());
        faults.sort((a, b) -> Long.compare(a.injectedMillis(), b.injectedMillis()));
        long end = Math.max(1, ops.stream().mapToLong(Op::completedMillis).max().orElse(1));
        int width = 1400;
        int lanes = 3;
        int top = 20 + lanes * 14;
        int height = 420;
        int left = 60;
        int plotWidth = width - left - 20;
        int plotHeight = height - top - 40;
        double minLog = Math.log10(1);
        double maxLog = Math.log10(Clients.CLIENT_TIMEOUT.toMillis() * 2.0);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                width, height));
        String[] shades = { "#90caf9", "#ce93d8", "#ffcc80" };
        for (int i = 0; i < faults.size(); i++) {
            FaultWindow fault = faults.get(i);
            double x1 = left + plotWidth * fault.injectedMillis() / (double) end;
            double x2 = left + plotWidth * (fault.healedMillis() < 0 ? end : fault.healedMillis()) / (double) end;
            int lane = i % lanes;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
                    + "fill-opacity=\"0.35\"><title>%s</title></rect>%n", x1, top, Math.max(1, x2 - x1), plotHeight,
                    shades[lane], escape(fault.fault())));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#333\">%s</text>%n", x1,
                    14 + lane * 14, escape(fault.fault())));
        }
        for (int ms : new int[] { 1, 10, 100, 1000, 10000 }) {
            double y = top + plotHeight * (1 - (Math.log10(ms) - minLog) / (maxLog - minLog));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"4\" y=\"%.1f\">%s</text>%n", left, left + plotWidth, y, y, y + 4,
                    ms >= 1000 ? ms / 1000 + " s" : ms + " ms"));
        }
        for (long s = 0; s <= end / 1000; s += Math.max(10, end / 1000 / 12 / 10 * 10)) {
            double x = left + plotWidth * s * 1000 / (double) end;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%d s</text>%n", x, height - 20, s));
        }
        for (Op op : ops) {
            double x = left + plotWidth * op.invokedMillis() / (double) end;
            double latency = Math.max(1, op.latencyMillis());
            double y = top + plotHeight * (1 - (Math.log10(latency) - minLog) / (maxLog - minLog));
            String colour = switch (op.outcome()) {
                case OK -> "#2e7d32";
                case FAIL -> "#c62828";
                case INFO -> "#f9a825";
            };
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.6\" fill=\"%s\"/>%n", x,
                    Math.max(top, y), colour));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">latency of each operation (log) over time; "
                + "green ok, red fail, amber info (outcome unknown); shaded: faults</text>%n</svg>%n", left,
                height - 4));
        return svg.toString();
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
