% Sudoku, all solutions, for SWI-Prolog and GNU Prolog (ISO Prolog plus
% between/3): the search of examples/sudoku and bench/guess/sudoku_hand.c.
% The empty cells in reading order, between/3 tries the digits 1..9 in
% order, and a digit that a peer (a cell of the same row, column or box)
% holds fails; Prolog's backtracking unbinds the cell.  The same extension
% steps as the C versions: 9 per empty cell reached.  The check tests a
% precomputed mask of the givens among the cell's peers and walks its
% empty peers that come earlier (C tests three bit masks).
%
%   echo '[5,3,0, ...].' | swipl -O sudoku.pl    (81 integers, 0 = empty)
%   gplc sudoku.pl && echo '[...].' | ./sudoku
%
% Prints every solution as a line of 81 digits, then "solutions S".

:- include('main.pl').

run :-
    read(Cells),
    (   valid_input(Cells)
    ->  vars_for_zeros(Cells, Cells0),
        G =.. [g|Cells0],
        empties(1, Cells, G, Empty),
        findall(G, solve(Empty), Solutions),
        print_all(Solutions, 0, S),
        write(solutions(S)), nl
    ;   write(user_error, 'sudoku.pl: expected a list of 81 integers 0..9 followed by a full stop'),
        nl(user_error),
        fail
    ).

valid_input(Cells) :-
    length(Cells, 81),
    \+ ( member(X, Cells), \+ (integer(X), X >= 0, X =< 9) ).

% Empty cells become unbound variables of the grid term g/81.
vars_for_zeros([], []).
vars_for_zeros([0|Xs], [_|Ys]) :- !, vars_for_zeros(Xs, Ys).
vars_for_zeros([X|Xs], [X|Ys]) :- vars_for_zeros(Xs, Ys).

% empties(I, Cells, G, E): E holds a cell(Var, Mask, Earlier) for each empty
% cell from index I (1-based) on, in reading order: Var is its variable in
% G, bit D of Mask is set when a given peer holds D, and Earlier lists the
% variables of its empty peers that come before it (bound by the time it
% is guessed; the later ones are still unbound and cannot clash).
empties(_, [], _, []).
empties(I, [X|Xs], G, E) :-
    I1 is I + 1,
    (   X =:= 0
    ->  arg(I, G, Var),
        peers(I, Ps),
        given_mask(Ps, G, 0, Mask),
        findall(P, (member(P, Ps), P < I, arg(P, G, V), var(V)), Earlier0),
        vars_at(Earlier0, G, Earlier),
        E = [cell(Var, Mask, Earlier)|E1]
    ;   E = E1
    ),
    empties(I1, Xs, G, E1).

given_mask([], _, M, M).
given_mask([P|Ps], G, M0, M) :-
    arg(P, G, X),
    (   integer(X) -> M1 is M0 \/ (1 << X) ; M1 = M0 ),
    given_mask(Ps, G, M1, M).

vars_at([], _, []).
vars_at([P|Ps], G, [V|Vs]) :- arg(P, G, V), vars_at(Ps, G, Vs).

peers(I, Ps) :-
    R is (I - 1) // 9, C is (I - 1) mod 9,
    findall(J, (between(1, 81, J), J =\= I, peer(R, C, J)), Ps).

peer(R, C, J) :-
    R2 is (J - 1) // 9, C2 is (J - 1) mod 9,
    (   R2 =:= R -> true
    ;   C2 =:= C -> true
    ;   R2 // 3 =:= R // 3, C2 // 3 =:= C // 3
    ).

% One guess point per empty cell: 9 extensions.
solve([]).
solve([cell(Var, Mask, Earlier)|E]) :-
    between(1, 9, D),
    Mask /\ (1 << D) =:= 0,
    \+ ( member(V, Earlier), V == D ),
    Var = D,
    solve(E).

print_all([], S, S).
print_all([G|Gs], S0, S) :-
    G =.. [_|Cells],
    print_cells(Cells), nl,
    S1 is S0 + 1,
    print_all(Gs, S1, S).

print_cells([]).
print_cells([X|Xs]) :- write(X), print_cells(Xs).
