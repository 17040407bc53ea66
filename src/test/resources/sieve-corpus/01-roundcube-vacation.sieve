require ["vacation"];
# rule:[Out of office]
if true
{
	vacation :days 7 :addresses ["takahashi@corp.example","t.takahashi@corp.example"] :subject "不在のお知らせ" :from "takahashi@corp.example" "12月1日まで出張のため不在です。";
}
