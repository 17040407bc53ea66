require ["vacation", "date", "relational"];
if allof (currentdate :zone "+0900" :value "ge" "iso8601" "2026-12-01T09:00:00+09:00",
          currentdate :zone "+0900" :value "le" "iso8601" "2026-12-10T18:00:00+09:00") {
  vacation :days 1 :addresses "tanaka@corp.example" "出張中";
}
