package io.logflow.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;

/**
 * A real S3 endpoint for the tests: S3Proxy in this JVM over an in-memory store, started once per test JVM, plus
 * Flink's S3 file system (flink-s3-fs-hadoop, a test dependency here and a plugin on a cluster) pointed at it.
 * Objects are uploaded with the AWS SDK v2, as a user's tooling would.
 */
public final class S3Extension implements BeforeAllCallback {
    public static final String ACCESS_KEY = "logflow-test";
    public static final String SECRET_KEY = "logflow-test-secret";

    private static S3Proxy proxy;
    private static S3Client client;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    private static synchronized void start() throws Exception {
        if (proxy != null) {
            return;
        }
        int port = EmbeddedPostgresServer.freePort();
        S3Proxy started = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        started.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(started.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + started.getState());
            }
            Thread.sleep(10);
        }
        proxy = started;
        client = S3Client.builder()
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();

        Configuration conf = new Configuration();
        conf.setString("s3.endpoint", endpoint().toString());
        conf.setString("s3.path.style.access", "true");
        conf.setString("s3.access-key", ACCESS_KEY);
        conf.setString("s3.secret-key", SECRET_KEY);
        conf.setString("s3.connection.ssl.enabled", "false");
        FileSystem.initialize(conf, null);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                client.close();
                started.stop();
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }));
    }

    public static URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public void createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
    }

    public void put(String bucket, String key, byte[] content) {
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    public byte[] get(String bucket, String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    public java.util.List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).sorted().toList();
    }

    public void delete(String bucket, String key) {
        client.deleteObject(b -> b.bucket(bucket).key(key));
    }
}
