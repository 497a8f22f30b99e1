import { config } from 'chai';

// A failing check on a process's output or a response shows the whole value it looked in, not chai's first 40
// characters: a CLI's summary line missing from its terminal output is otherwise invisible in the report.
config.truncateThreshold = 0;
