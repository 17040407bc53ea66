require ["relational", "comparator-i;ascii-numeric", "envelope", "subaddress"];
if envelope :detail "to" "lists" { keep; }
if header :value "ge" :comparator "i;ascii-numeric" "x-priority" "3" { keep; }
if header :count "gt" :comparator "i;ascii-numeric" "received" "20" { discard; }
