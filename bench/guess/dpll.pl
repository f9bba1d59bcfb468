% DPLL, for SWI-Prolog and GNU Prolog (ISO Prolog plus between/3): the
% search of examples/sat/dpll.c and bench/guess/dpll_hand.c.  Unit
% propagation sweeps every clause in order to a fixpoint (a unit clause's
% literal is made true at once, a clause with every literal false fails),
% then the first unassigned literal of the first open clause of the last
% sweep is branched on with between(0, 1, X): true first, then false.  So
% the extension steps are the same: 2 per branching point.  Prolog's
% backtracking unbinds the variables; the formula's variables are Prolog
% variables bound to true or false.
%
%   echo 'cnf(3, [[1,-2],[2,3]]).' | swipl -O dpll.pl    (bench/run-guess.sh
%   gplc dpll.pl && echo '...' | ./dpll                  converts DIMACS)
%
% Prints "s SATISFIABLE" and "v ... 0" (unassigned variables false) or
% "s UNSATISFIABLE".

:- include('main.pl').

run :-
    read(Term),
    (   Term = cnf(N, Clauses0), integer(N), N >= 0
    ->  functor(Vars, v, N),
        literals(Clauses0, Vars, Clauses),
        (   dpll(Clauses)
        ->  write('s SATISFIABLE'), nl,
            write(v), print_model(1, N, Vars), write(' 0'), nl
        ;   write('s UNSATISFIABLE'), nl
        )
    ;   write(user_error, 'dpll.pl: expected cnf(VARIABLES, [[LITERAL, ...], ...]) followed by a full stop'),
        nl(user_error),
        fail
    ).

% Clauses of integers to clauses of p(Var) (positive) and n(Var) (negative).
literals([], _, []).
literals([C|Cs], Vars, [L|Ls]) :- clause_lits(C, Vars, L), literals(Cs, Vars, Ls).
clause_lits([], _, []).
clause_lits([K|Ks], Vars, [L|Ls]) :-
    (   K > 0 -> arg(K, Vars, V), L = p(V)
    ;   K1 is -K, arg(K1, Vars, V), L = n(V)
    ),
    clause_lits(Ks, Vars, Ls).

dpll(Clauses) :-
    propagate(Clauses, Branch),
    (   Branch == none
    ->  true
    ;   between(0, 1, X),
        (   X =:= 0 -> make_true(Branch) ; make_false(Branch) ),
        dpll(Clauses)
    ).

propagate(Clauses, Branch) :-
    sweep(Clauses, false, Changed, none, B),
    (   Changed == true -> propagate(Clauses, Branch) ; Branch = B ).

% sweep(Clauses, Changed0, Changed, Branch0, Branch): fails on a conflict.
sweep([], Ch, Ch, B, B).
sweep([C|Cs], Ch0, Ch, B0, B) :-
    state(C, 0, none, none, S),
    (   S == sat -> sweep(Cs, Ch0, Ch, B0, B)
    ;   S = unit(L) -> make_true(L), sweep(Cs, true, Ch, B0, B)
    ;   S = open(F),
        (   B0 == none -> B1 = F ; B1 = B0 ),
        sweep(Cs, Ch0, Ch, B1, B)
    ).

% state(Lits, Unassigned, First, Last, S): S is sat, unit(L) or open(First);
% fails when every literal is false.
state([], N, First, Last, S) :-
    N > 0,
    (   N =:= 1 -> S = unit(Last) ; S = open(First) ).
state([L|Ls], N, F, La, S) :-
    value(L, T),
    (   T == true -> S = sat
    ;   T == false -> state(Ls, N, F, La, S)
    ;   N1 is N + 1,
        (   N =:= 0 -> F1 = L ; F1 = F ),
        state(Ls, N1, F1, L, S)
    ).

value(p(V), T) :- ( var(V) -> T = unknown ; T = V ).
value(n(V), T) :- ( var(V) -> T = unknown ; V == true -> T = false ; T = true ).

make_true(p(true)).
make_true(n(false)).
make_false(p(false)).
make_false(n(true)).

print_model(I, N, _) :- I > N, !.
print_model(I, N, Vars) :-
    arg(I, Vars, V),
    write(' '),
    (   V == true -> write(I) ; write(-), write(I) ),
    I1 is I + 1,
    print_model(I1, N, Vars).
