package io.logflow.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of {@code jobs/} as rules, so that "who may import whom" is checked on every build:
 *
 * <pre>
 *   app                   the composition root: LogflowJob, the whole-job config, the CLI, replay, workspace commands
 *   source.files  source.kafka  source.kinesis  enrich  templates  metrics  sink.postgres  sink.elasticsearch  sink.dlq
 *                         features: each imports only the ground floor and udfs, never another feature
 *   pipeline  workspace  config     the ground floor: ports, the parse operator, registrations, settings
 * </pre>
 */
class ArchitectureTest {
    static final List<String> FEATURES = List.of("source.files", "source.kafka", "source.kinesis", "enrich", "templates",
            "metrics", "sink.postgres", "sink.elasticsearch", "sink.dlq");
    static final List<String> GROUND = List.of("pipeline", "workspace", "config");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        // this module's own classes only (udfs has its own packages and is a library to all of them)
        classes = new ClassFileImporter().importPath(Paths.get("target/classes"));
    }

    @Test
    void featuresNeverImportAnotherFeatureNorTheRoot() {
        for (String feature : FEATURES) {
            List<String> others = new ArrayList<>();
            for (String other : FEATURES) {
                if (!other.equals(feature)) {
                    others.add(pkg(other));
                }
            }
            others.add(pkg("app"));
            noClasses().that().resideInAPackage(pkg(feature))
                    .should().dependOnClassesThat().resideInAnyPackage(others.toArray(new String[0]))
                    .because(feature + " is a feature: it imports only the ground floor and udfs")
                    .check(classes);
        }
    }

    @Test
    void theGroundFloorImportsNoFeatureAndNotTheRoot() {
        List<String> above = new ArrayList<>();
        for (String feature : FEATURES) {
            above.add(pkg(feature));
        }
        above.add(pkg("app"));
        for (String ground : GROUND) {
            noClasses().that().resideInAPackage(pkg(ground))
                    .should().dependOnClassesThat().resideInAnyPackage(above.toArray(new String[0]))
                    .because(ground + " is the ground floor every feature stands on")
                    .check(classes);
        }
    }

    @Test
    void onlyThePostgresSinkTouchesJdbcThePostgresDriverAndFlyway() {
        noClasses().that().resideOutsideOfPackage(pkg("sink.postgres"))
                .should().dependOnClassesThat().resideInAnyPackage(
                        "java.sql..", "javax.sql..", "org.postgresql..", "org.apache.flink.connector.jdbc..",
                        "org.flywaydb..")
                .because("every write to PostgreSQL goes through sink/postgres")
                .check(classes);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.logflow.(**)").should().beFreeOfCycles().check(classes);
    }

    private static String pkg(String name) {
        return "io.logflow." + name + "..";
    }
}
