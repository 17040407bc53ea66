if true { vacation :days 1 "forgot require"; }
