/* Written by hand in 2019
   for the sales team */
require /* inline */ ["fileinto"];
if /* test */ header :is "to" "sales@corp.example" { fileinto "Sales"; } # trailing
