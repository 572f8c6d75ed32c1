package io.hearth.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StatementType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** {@code hearth sql}: SQL through Hearth's Athena API, printed as a table, CSV or JSON lines. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs SQL on Hearth's SQL engine through the Athena API and prints the result.",
                "With no SQL argument, reads statements ending in ';' from standard input (a prompt in a terminal)."})
final class SqlCommand implements Callable<Integer> {
    /** Where results go unless --output-location says otherwise; the bucket is made on first use. */
    static final String DEFAULT_OUTPUT = "s3://hearth-query-results/";
    private static final Set<QueryExecutionState> ENDED = Set.of(QueryExecutionState.SUCCEEDED, QueryExecutionState.FAILED,
            QueryExecutionState.CANCELLED);

    @Mixin
    ApiOptions api = new ApiOptions();

    @Parameters(arity = "0..1", paramLabel = "SQL", description = "The statement to run.")
    String sql;

    @Option(names = "--database", paramLabel = "NAME", description = "Database the statement runs in (default: ${DEFAULT-VALUE}).",
            defaultValue = "default")
    String database;

    @Option(names = "--work-group", paramLabel = "NAME", description = "Athena work group (default: ${DEFAULT-VALUE}).", defaultValue = "primary")
    String workGroup;

    @Option(names = "--output-location", paramLabel = "S3_URI", description = "Where result files go (default: ${DEFAULT-VALUE}).",
            defaultValue = DEFAULT_OUTPUT)
    String outputLocation;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table, csv or json (one object per row) (default: ${DEFAULT-VALUE}).",
            defaultValue = "table")
    SqlOutput.Format format;

    @Override
    public Integer call() throws IOException, InterruptedException {
        URI endpoint = api.client().endpoint();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(EnvCommand.ACCESS_KEY_ID, EnvCommand.SECRET_ACCESS_KEY));
        try (AthenaClient athena = AthenaClient.builder().endpointOverride(endpoint).region(Region.of(EnvCommand.REGION)).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            if (outputLocation.equals(DEFAULT_OUTPUT)) {
                ensureDefaultBucket(endpoint, credentials);
            }
            if (sql != null) {
                return run(athena, sql, System.out) ? 0 : 1;
            }
            return interactive(athena);
        }
    }

    /**
     * Statements from standard input, each ended by ';'; in a terminal with a prompt, line editing and history, and a
     * failed one does not end the session.
     */
    private int interactive(AthenaClient athena) throws IOException, InterruptedException {
        try (SqlPrompt prompt = System.console() != null ? SqlPrompt.terminal() : SqlPrompt.lines(System.in)) {
            return interactive(athena, prompt);
        }
    }

    private int interactive(AthenaClient athena, SqlPrompt prompt) throws IOException, InterruptedException {
        StringBuilder statement = new StringBuilder();
        boolean allSucceeded = true;
        while (true) {
            String line;
            try {
                line = prompt.readLine(statement.isEmpty() ? "hearth sql> " : "        ...> ");
            } catch (SqlPrompt.Interrupted e) {
                statement.setLength(0); // Ctrl-C drops the statement being typed, as in psql
                continue;
            }
            if (line == null) {
                break;
            }
            statement.append(line).append('\n');
            String text = statement.toString().strip();
            if (text.endsWith(";")) {
                String query = text.substring(0, text.length() - 1).strip();
                statement.setLength(0);
                if (!query.isEmpty()) {
                    allSucceeded &= run(athena, query, System.out);
                }
            }
        }
        if (!statement.toString().isBlank()) {
            allSucceeded &= run(athena, statement.toString().strip(), System.out);
        }
        return allSucceeded ? 0 : 1;
    }

    /** Runs one statement and prints its rows (or its failure, on standard error); false when it did not succeed. */
    private boolean run(AthenaClient athena, String statement, PrintStream out) throws InterruptedException {
        String id = athena.startQueryExecution(r -> r.queryString(statement).workGroup(workGroup)
                .queryExecutionContext(c -> c.database(database)).resultConfiguration(c -> c.outputLocation(outputLocation))).queryExecutionId();
        QueryExecution execution = athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution();
        long pause = 5;
        while (!ENDED.contains(execution.status().state())) {
            Thread.sleep(pause);
            pause = Math.min(200, pause * 2);
            execution = athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution();
        }
        if (execution.status().state() != QueryExecutionState.SUCCEEDED) {
            System.err.println("hearth: query " + id + " " + execution.status().state() + ": " + execution.status().stateChangeReason());
            return false;
        }
        List<String> names = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        String token = null;
        boolean first = true;
        do {
            String next = token;
            GetQueryResultsResponse page = athena.getQueryResults(r -> r.queryExecutionId(id).nextToken(next));
            if (first) {
                page.resultSet().resultSetMetadata().columnInfo().stream().map(ColumnInfo::name).forEach(names::add);
            }
            List<Row> pageRows = page.resultSet().rows();
            // A query's first row is its header; DDL and utility statements have none.
            int skip = first && execution.statementType() == StatementType.DML && !pageRows.isEmpty() ? 1 : 0;
            for (Row row : pageRows.subList(Math.min(skip, pageRows.size()), pageRows.size())) {
                rows.add(row.data().stream().map(Datum::varCharValue).toList());
            }
            token = page.nextToken();
            first = false;
        } while (token != null);
        SqlOutput.print(format, names, rows, out);
        if (format == SqlOutput.Format.table && System.console() != null) {
            System.err.printf("(%d row%s, %d ms in the engine, %d bytes scanned)%n", rows.size(), rows.size() == 1 ? "" : "s",
                    execution.statistics().engineExecutionTimeInMillis(), execution.statistics().dataScannedInBytes());
        }
        return true;
    }

    private static void ensureDefaultBucket(URI endpoint, StaticCredentialsProvider credentials) {
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.of(EnvCommand.REGION)).forcePathStyle(true)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
            String bucket = DEFAULT_OUTPUT.substring("s3://".length(), DEFAULT_OUTPUT.length() - 1);
            try {
                s3.headBucket(r -> r.bucket(bucket));
            } catch (NoSuchBucketException missing) {
                s3.createBucket(r -> r.bucket(bucket));
            }
        }
    }
}
