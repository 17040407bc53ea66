package com.mailgov.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.List;
import java.util.Map;

/**
 * Compiles and runs custom rules written in CEL. An expression sees only two variables, the
 * request ({@code request.department}, {@code request.title}, {@code request.items[i].kind|action|key|spec})
 * and the resolved object changes ({@code changes[i].kind|type|key|department|after}); CEL has no
 * I/O, and iterations, size and nesting are capped, so a rule can neither read secrets, call out
 * nor run long.
 */
public final class CustomRules {

    public static final int MAX_EXPRESSION = 2000;
    public static final int MAX_ITERATIONS = 100_000;

    private static final CelOptions OPTIONS = CelOptions.current()
            .maxExpressionCodePointSize(MAX_EXPRESSION)
            .maxParseRecursionDepth(32)
            .maxParseExpressionNodeCount(500)
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .maxRegexProgramSize(200)
            .build();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("request", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("changes", ListType.create(MapType.create(SimpleType.STRING, SimpleType.DYN)))
            .setResultType(SimpleType.BOOL)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private CustomRules() {
    }

    /** What compiling a custom rule gave. */
    public sealed interface Outcome permits Compiled, CompileError {
    }

    /** A compile error with where it is (1-based line and column). */
    public record CompileError(int line, int column, String message) implements Outcome {
        @Override
        public String toString() {
            return "line " + line + ", column " + column + ": " + message;
        }
    }

    /** A compiled rule, ready to run. */
    public record Compiled(PolicyDocument.CustomRuleSpec spec, CelRuntime.Program program) implements Outcome {

        /** True when the rule fires. */
        public boolean matches(Map<String, Object> request, List<Map<String, Object>> changes) throws CelEvaluationException {
            return Boolean.TRUE.equals(program.eval(Map.of("request", request, "changes", changes)));
        }
    }

    /**
     * Runs a compiled rule once on a large synthetic request (500 changes, 100 targets each) to
     * refuse at save time what would exceed the iteration cap; returns why it is refused, or null.
     * The cap counts all iterations of an evaluation, so the verdict does not depend on machine load.
     */
    public static String trialRun(Compiled rule) {
        List<Map<String, Object>> changes = new java.util.ArrayList<>();
        List<Object> targets = new java.util.ArrayList<>();
        for (int t = 0; t < 100; t++) {
            targets.add("t" + t + "@corp.example");
        }
        for (int i = 0; i < 500; i++) {
            changes.add(Map.of("kind", "FORWARD", "type", "CREATED", "key", "s" + i + "@corp.example", "department", "D",
                    "after", Map.of("source", "s" + i + "@corp.example", "targets", targets, "keepCopy", false)));
        }
        Map<String, Object> request = Map.of("department", "D", "title", "trial", "reason", "trial", "items", List.of());
        try {
            rule.matches(request, changes);
            return null;
        } catch (CelEvaluationException e) {
            if (e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("iteration")) {
                return "runs too long: more than " + MAX_ITERATIONS + " loop iterations on a large request";
            }
            return null; // other errors depend on the request's data and are reported per evaluation
        }
    }

    /** Compiles, or returns the first error with its position. */
    public static Outcome compile(PolicyDocument.CustomRuleSpec spec) {
        if (spec.expression() == null || spec.expression().isBlank()) {
            return new CompileError(1, 1, "is required");
        }
        if (spec.expression().codePointCount(0, spec.expression().length()) > MAX_EXPRESSION) {
            return new CompileError(1, 1, "is longer than " + MAX_EXPRESSION + " characters");
        }
        CelValidationResult result = COMPILER.compile(spec.expression());
        if (result.hasError()) {
            CelIssue issue = result.getAllIssues().get(0);
            int line = Math.max(1, issue.getSourceLocation().getLine());
            int column = Math.max(0, issue.getSourceLocation().getColumn()) + 1;
            return new CompileError(line, column, issue.getMessage());
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            return new Compiled(spec, RUNTIME.createProgram(ast));
        } catch (CelValidationException | CelEvaluationException e) {
            return new CompileError(1, 1, e.getMessage());
        }
    }
}
