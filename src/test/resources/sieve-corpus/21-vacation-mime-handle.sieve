require ["vacation"];
vacation :days 14 :handle "summer" :mime :subject "Away" text:
Content-Type: text/plain; charset=utf-8

夏季休暇中です。
.
;
