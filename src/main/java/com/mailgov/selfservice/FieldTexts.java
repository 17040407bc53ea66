package com.mailgov.selfservice;

import com.mailgov.ui.UiProblem;
import com.mailgov.web.Problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A refusal's field messages as the employee reads them: keyed by the form's field, in the page's
 * language. The service answers in English (the API's language); the known messages are said again
 * in Japanese here, anything else is shown as the service said it.
 */
public final class FieldTexts {

    private record Rule(Pattern english, String japanese) {
    }

    private static final List<Rule> JA = List.of(
            new Rule(Pattern.compile("is required.*"), "入力してください"),
            new Rule(Pattern.compile("must be after startsAt"), "開始より後の日時にしてください"),
            new Rule(Pattern.compile("must be at most (\\d+) characters.*"), "$1 文字以内にしてください"),
            new Rule(Pattern.compile("must have at most (\\d+) characters.*"), "$1 文字以内にしてください"),
            new Rule(Pattern.compile("must be between (\\d+) and (\\d+).*"), "$1〜$2 の範囲にしてください"),
            new Rule(Pattern.compile("must not contain .*"), "改行や制御文字は使えません"),
            new Rule(Pattern.compile("must be a whole number.*"), "整数で入力してください"),
            new Rule(Pattern.compile("must be a date and time.*"), "日時を入力してください"),
            new Rule(Pattern.compile("must be INTERNAL or ALL.*|must be one of.*"), "どちらかを選んでください"),
            new Rule(Pattern.compile("You can only manage your own mailbox.*"), "自分のメールボックスの自動応答だけを設定できます"));

    private final Map<String, String> byField;

    private FieldTexts(Map<String, String> byField) {
        this.byField = byField;
    }

    static FieldTexts of(UiProblem problem, String lang) {
        Map<String, String> byField = new LinkedHashMap<>();
        if (problem != null) {
            for (Problem.FieldError e : problem.errors()) {
                byField.putIfAbsent(e.field(), "ja".equals(lang) ? japanese(e.message()) : e.message());
            }
        }
        return new FieldTexts(byField);
    }

    static String japanese(String english) {
        if (english == null) {
            return null;
        }
        for (Rule rule : JA) {
            Matcher m = rule.english().matcher(english);
            if (m.matches()) {
                return m.replaceAll(rule.japanese());
            }
        }
        return english;
    }

    /** The message for a form field, or null. */
    public String get(String field) {
        return byField.get(field);
    }

    public boolean has(String field) {
        return byField.containsKey(field);
    }

    public boolean any() {
        return !byField.isEmpty();
    }
}
