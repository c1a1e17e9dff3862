// Profiles: the seven priority profiles (what, who is harmed, who poses a risk, where, when, success
// measures) computed over the column tables from the definitions under profiles/.
