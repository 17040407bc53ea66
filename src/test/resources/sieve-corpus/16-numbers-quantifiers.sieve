if size :over 1G { discard; stop; }
if size :over 512k { keep; }
if size :under 2M { keep; }
