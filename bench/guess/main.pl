% bench/guess/main.pl - the entry point the Prolog benchmarks share
% (included by queens.pl, sudoku.pl and dpll.pl, each defining run/0),
% for SWI-Prolog and GNU Prolog alike.

:- initialization(main).

% Any error or failure ends the program with status 1 (not in the top
% level, where a failed initialization goal would leave it).
main :-
    (   catch(run, E, (write(user_error, E), nl(user_error), halt(1)))
    ->  halt
    ;   halt(1)
    ).
