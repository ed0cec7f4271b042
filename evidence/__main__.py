from evidence.cli import main

raise SystemExit(main())
