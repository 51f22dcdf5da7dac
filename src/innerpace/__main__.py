from innerpace.cli import main

raise SystemExit(main())
