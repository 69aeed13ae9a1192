"""The fingerprint database: enrolled prints and crime-scene marks, 1:N checks, examiner confirmation."""
