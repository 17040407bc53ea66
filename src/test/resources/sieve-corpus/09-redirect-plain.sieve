redirect "sato@corp.example";
